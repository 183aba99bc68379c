# Regenerate: cd charts && gnuplot calls-sweep-storm-kprobe.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-kprobe.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/kprobe: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-kprobe.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 345.6290 + 3.01760*x with lines lc 1 notitle, \
     "calls-sweep-storm-kprobe.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 606.7930 + 269.01170*x with lines lc 2 notitle, \
     "calls-sweep-storm-kprobe.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 686.1130 + 288.11460*x with lines lc 3 notitle, \
     "calls-sweep-storm-kprobe.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 758.5560 + 286.16260*x with lines lc 4 notitle, \
     "calls-sweep-storm-kprobe.dat" index 4 using 1:2 with points pt 7 lc 5 title "freplace", 670.2650 + 288.57760*x with lines lc 5 notitle, \
     "calls-sweep-storm-kprobe.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 765.9340 + 307.49000*x with lines lc 6 notitle
