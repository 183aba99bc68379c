# Regenerate: cd charts && gnuplot calls-sweep-storm-fentry.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-fentry.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/fentry: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-fentry.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 388.1610 + 3.01100*x with lines lc 1 notitle, \
     "calls-sweep-storm-fentry.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 634.1720 + 291.09090*x with lines lc 2 notitle, \
     "calls-sweep-storm-fentry.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 784.7900 + 299.86220*x with lines lc 3 notitle, \
     "calls-sweep-storm-fentry.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 723.3000 + 295.77970*x with lines lc 4 notitle
