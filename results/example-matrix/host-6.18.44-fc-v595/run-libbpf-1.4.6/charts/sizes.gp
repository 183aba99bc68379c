# Regenerate: cd charts && gnuplot sizes.gp
if (!exists("outfile")) outfile = "sizes.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "Code size per variant at tp_btf (all programs)"
set ylabel "bytes"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
# Three bars per cluster, each 1/(3+gap) wide: labels at -0.25, 0, +0.25.
plot "sizes.dat" using 2:xtic(1) title "ELF code", \
     "" using 3 title "xlated", \
     "" using 4 title "JIT", \
     "" using ($0-0.25):2:(sprintf("%.0f",$2)) with labels offset 0,0.7 font ",8" notitle, \
     "" using ($0):3:(sprintf("%.0f",$3)) with labels offset 0,0.7 font ",8" notitle, \
     "" using ($0+0.25):4:(sprintf("%.0f",$4)) with labels offset 0,0.7 font ",8" notitle
